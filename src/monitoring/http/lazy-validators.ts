import { AjvCompiler, type ValidatorFactory } from '@fastify/ajv-compiler';

/** What Fastify calls a route's validator with, and reads `errors` from when it returns false. */
interface Validator {
  (data: unknown): boolean;
  errors?: unknown;
}

type BuildFromPool = ReturnType<typeof AjvCompiler>;
type CompileRoute = (route: unknown) => Validator;

/**
 * Fastify's own ajv compiler, used at a route's first request instead of at start-up: a run's
 * first turn then waits for none of the request schemas (ajv's set-up and compiling them took
 * about 50 ms of a 0.3 s start). Each route's validator is compiled once, the first time a
 * request of that route carries the part it checks; its answers and errors are ajv's, unchanged.
 * Given as Fastify's compiler, it is taken for a custom one: a schema that does not compile is
 * a 500 at its route's first request, not a failed start (a test asks every route), and a
 * `headers` schema is not lower-cased for us (none of the routes has one; write its keys so).
 */
export const lazyValidators = ((
  externalSchemas: Parameters<BuildFromPool>[0],
  options: Parameters<BuildFromPool>[1],
) => {
  let compile: CompileRoute | undefined;
  return (route: unknown): Validator => {
    let compiled: Validator | undefined;
    const validate: Validator = (data) => {
      compiled ??= (compile ??= AjvCompiler()(externalSchemas, options) as unknown as CompileRoute)(route);
      const valid = compiled(data);
      validate.errors = compiled.errors;
      return valid;
    };
    return validate;
  };
}) as unknown as ValidatorFactory;
