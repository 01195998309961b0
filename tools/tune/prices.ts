import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One price of the table: a figure in USD (or one per instance type), what it is per, and where it comes from. */
export interface Price {
  usd: number | Record<string, number>;
  unit: string;
  source: string;
}

/** Every price the cost model uses. */
export const PRICE_KEYS = [
  'kinesisShardHour',
  'kinesisPutPayloadUnitMillion',
  'kinesisExtendedRetentionShardHour',
  'kinesisOnDemandStreamHour',
  'kinesisOnDemandIngestGb',
  'kinesisOnDemandRetrievalGb',
  'kinesisEnhancedFanOutConsumerShardHour',
  'kinesisEnhancedFanOutRetrievalGb',
  'kinesisOnDemandEnhancedFanOutRetrievalGb',
  'lambdaRequestMillion',
  'lambdaGbSecondArm64',
  'dynamodbWriteRequestUnitMillion',
  'dynamodbReadRequestUnitMillion',
  's3PutThousand',
  's3GetThousand',
  's3StandardGbMonth',
  'sqsRequestMillion',
  'cloudwatchLogsIngestGb',
  'cloudwatchMetricMonth',
  'opensearchInstanceHour',
  'opensearchGp3GbMonth',
  'firehoseIngestGb',
  'firehoseDynamicPartitioningGb',
  'firehoseDynamicPartitioningObjectThousand',
  'firehoseFormatConversionGb',
] as const;

/** A key of the price table. */
export type PriceKey = (typeof PRICE_KEYS)[number];

/** The dated price table (tools/tune/prices.json, or the user's copy). */
export interface PriceTable {
  region: string;
  architecture: string;
  asOf: string;
  prices: Record<PriceKey, Price>;
}

/** The price table that ships with the tool. */
export const DEFAULT_PRICES_FILE = join(__dirname, 'prices.json');

/** A price table that cannot be used. */
export class PriceTableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PriceTableError';
  }
}

/**
 * Checks a parsed price table: every key present, each with a non-negative USD figure (or a map of them) and a
 * source URL.
 *
 * @throws {PriceTableError} naming the file and the price at fault.
 */
export function parsePriceTable(value: unknown, file: string): PriceTable {
  const table = value as Partial<PriceTable> | null;
  if (typeof table !== 'object' || table === null || typeof table.prices !== 'object' || !table.prices) {
    throw new PriceTableError(`${file}: expected {"region", "asOf", "prices": {...}}`);
  }
  if (typeof table.asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(table.asOf)) {
    throw new PriceTableError(`${file}: asOf must be the date of the prices, YYYY-MM-DD`);
  }
  const prices = table.prices as Record<string, Partial<Price>>;
  for (const key of PRICE_KEYS) {
    const price = prices[key];
    if (!price) throw new PriceTableError(`${file}: prices.${key} is missing`);
    const figures = typeof price.usd === 'number' ? [price.usd] : Object.values(price.usd ?? {});
    if (figures.length === 0 || figures.some((f) => typeof f !== 'number' || !Number.isFinite(f) || f < 0)) {
      throw new PriceTableError(`${file}: prices.${key}.usd must be a number >= 0 (or a map of them)`);
    }
    if (typeof price.source !== 'string' || !/^https?:\/\//.test(price.source)) {
      throw new PriceTableError(`${file}: prices.${key}.source must be the URL the price comes from`);
    }
  }
  return table as PriceTable;
}

/** Reads a price table file; unreadable or malformed is a {@link PriceTableError}. */
export function loadPrices(file: string = DEFAULT_PRICES_FILE): PriceTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PriceTableError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return parsePriceTable(JSON.parse(text), file);
  } catch (error) {
    if (error instanceof PriceTableError) throw error;
    throw new PriceTableError(`${file}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** The USD figure of a price; for a per-type price, the figure of `variant`. */
export function priceOf(table: PriceTable, key: PriceKey, variant?: string): number {
  const usd = table.prices[key].usd;
  if (typeof usd === 'number') return usd;
  const figure = variant === undefined ? undefined : usd[variant];
  if (figure === undefined) {
    throw new PriceTableError(
      `prices.${key} has no price for ${variant ?? '(none given)'}; known: ${Object.keys(usd).join(', ')}`,
    );
  }
  return figure;
}
