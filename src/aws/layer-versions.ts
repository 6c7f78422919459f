/**
 * The one ListLayerVersions walker (publish's newest-version and lost-answer look-ups, retention, resolve): pages of
 * a layer's versions as AWS lists them, newest first, each call tagged with the operation (StepError) on failure.
 */
import { ListLayerVersionsCommand, type LambdaClient, type LayerVersionsListItem } from '@aws-sdk/client-lambda';
import { step } from './step.js';

/** The API's maximum page size: a long history costs few requests. */
export const MAX_PAGE_SIZE = 50;
/** 2,000 pages of 50 is 100,000 versions, far more than any layer has: a bound, not a limit anyone reaches. */
const MAX_PAGES = 2_000;

export interface LayerVersionPage {
  items: LayerVersionsListItem[];
  /** The marker of the next page; undefined on the last. */
  next?: string;
}

export async function layerVersionPage(
  lambda: LambdaClient,
  name: string,
  pageSize: number,
  marker?: string,
): Promise<LayerVersionPage> {
  const request = { LayerName: name, MaxItems: pageSize, ...(marker ? { Marker: marker } : {}) };
  const answer = await step('ListLayerVersions', () => lambda.send(new ListLayerVersionsCommand(request)));
  return { items: answer.LayerVersions ?? [], ...(answer.NextMarker ? { next: answer.NextMarker } : {}) };
}

/** Every page in turn (stop early by breaking out of the loop), at most `maxPages`. */
export async function* layerVersionPages(
  lambda: LambdaClient,
  name: string,
  pageSize = MAX_PAGE_SIZE,
  maxPages = MAX_PAGES,
): AsyncGenerator<LayerVersionsListItem[]> {
  let marker: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const { items, next } = await layerVersionPage(lambda, name, pageSize, marker);
    yield items;
    if (!next) return;
    marker = next;
  }
}
