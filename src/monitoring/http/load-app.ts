import type { buildApp } from './app.js';

/**
 * The app builder, loaded on demand: Fastify and what it brings are most of the CLI's code,
 * and a run without the server never needs them (the `tradesim` bundle keeps them in a
 * chunk of their own).
 */
export async function loadAppBuilder(): Promise<typeof buildApp> {
  return (await import('./app.js')).buildApp;
}
