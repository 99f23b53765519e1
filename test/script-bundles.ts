/**
 * The scripts of scripts/ that the end-to-end tests start dozens of times, bundled by the
 * global setup (test/build-dist.ts) into dist/scripts/NAME.mjs as the CLI is into dist/cli:
 * one file starts in a fraction of the time of the sources under tsx, which `npm run NAME`
 * runs (test/e2e/script-help.test.ts runs each that way).
 */
export const SCRIPT_BUNDLES = ['backfill', 'monitoring', 'rules', 'regimes', 'incidents'] as const;

export type BundledScript = (typeof SCRIPT_BUNDLES)[number];

/** Node's arguments that run the bundled script `name`, from the repository's root. */
export const scriptBundle = (name: BundledScript): string[] => [`dist/scripts/${name}.mjs`];
