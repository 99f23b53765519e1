import { ServicesErrors } from './errors.js';
import { figureCatalogue } from './figure-catalogue.js';
import type { FigureService } from './figure-service.js';
import type { ServiceSet } from './service-set.js';

/** A figure's service and the figure's path within it (`budget.total` -> budget, `total`). */
export interface FigureTarget {
  readonly service: FigureService<object>;
  readonly rest: string;
}

/**
 * The service that keeps `figure` in history; TRADESIM_ERR_FIGURE_NOT_KEPT for a figure only
 * computed on read (the budgets' Gini), TRADESIM_ERR_FIGURE_UNKNOWN for any other none keeps.
 */
export function figureTarget(services: ServiceSet, figure: string): FigureTarget {
  const dot = figure.indexOf('.');
  const [name, rest] = dot < 0 ? [figure, ''] : [figure.slice(0, dot), figure.slice(dot + 1)];
  const service = services.byName(name);
  if (!service || !service.history.has(figure)) {
    if (figureCatalogue().get(figure)?.historized === false)
      throw new ServicesErrors.TRADESIM_ERR_FIGURE_NOT_KEPT(figure);
    throw new ServicesErrors.TRADESIM_ERR_FIGURE_UNKNOWN(figure);
  }
  return { service, rest };
}
