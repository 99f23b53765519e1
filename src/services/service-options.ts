import { type Static, Type } from '@sinclair/typebox';

/** Company classification thresholds (the scenario file's `thresholds`). */
export const ThresholdsSchema = Type.Object(
  {
    solventMinimum: Type.Number({ minimum: 0, default: 100, description: 'insolvent below this budget' }),
    strugglingBelowShare: Type.Number({
      minimum: 0,
      default: 0.25,
      description: 'struggling below this share of the initial budget',
    }),
    prosperousAboveShare: Type.Number({
      minimum: 0,
      default: 1.5,
      description: 'prosperous above this share of the initial budget',
    }),
  },
  { additionalProperties: false, default: {} },
);

/** Sizes of the services' machinery (the scenario file's `services`). */
export const ServiceOptionsSchema = Type.Object(
  {
    historyTurns: Type.Integer({ minimum: 2, maximum: 100_000, default: 200, description: 'turns kept per service' }),
    cacheSize: Type.Integer({ minimum: 16, maximum: 100_000, default: 256, description: 'statistics cache entries' }),
    // Bounded integers with defaults, as in every schema (scenario, timeline): declarations, not logic.
    topCompanies: Type.Integer({ minimum: 1, maximum: 1_000, default: 50, description: 'top spenders listed' }),
    topProducts: Type.Integer({ minimum: 1, maximum: 1_000, default: 50, description: 'best sellers listed' }),
    topSuppliers: Type.Integer({
      minimum: 1,
      maximum: 1_000,
      default: 50,
      description: 'suppliers that sold most listed',
    }),
    statsWindow: Type.Integer({ minimum: 2, maximum: 100_000, default: 20, description: 'turns in window statistics' }),
    alertFirings: Type.Integer({
      minimum: 1,
      maximum: 100_000,
      default: 1_000,
      description: 'firings of the run kept for /api/alerts (newest; the older are counted)',
    }),
  },
  { additionalProperties: false, default: {} },
);

export type Thresholds = Static<typeof ThresholdsSchema>;
export type ServiceOptions = Static<typeof ServiceOptionsSchema>;
