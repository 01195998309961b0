import { createJsonSchemaEventSchema } from './createJsonSchemaEventSchema';
import { SchemaCompileError, SchemaError } from './errors';

interface Order {
  orderId: string;
  placedAt: string;
  total: number;
}

const orderSchema = createJsonSchemaEventSchema<Order>({
  name: 'order',
  schema: {
    type: 'object',
    required: ['orderId', 'placedAt', 'total'],
    additionalProperties: false,
    properties: {
      orderId: { type: 'string', pattern: '^ord-[0-9]+$', maxLength: 12 },
      placedAt: { type: 'string', format: 'date-time' },
      total: { type: 'integer', minimum: 0 },
      channel: { enum: ['web', 'store'] },
      sku: { type: 'string', format: 'sku' },
    },
  },
  formats: { sku: (value) => /^SKU-\d{4}$/.test(value) },
});

describe('createJsonSchemaEventSchema', () => {
  it('accepts a matching value and returns it as is', () => {
    // Prepare
    const order = { orderId: 'ord-1', placedAt: '2025-06-02T12:00:00+02:00', total: 5 };

    // Act
    const result = orderSchema.validate(order);

    // Assess
    expect(orderSchema.name).toBe('order');
    expect(result.ok && result.value).toBe(order);
  });

  it('reports every issue with a JSON Pointer, the expectation and the value found', () => {
    // Act
    const result = orderSchema.validate({
      orderId: 'o 1',
      placedAt: '2025-02-30T00:00:00Z',
      total: -1.5,
      channel: 'fax',
      sku: 'x',
      extra: 1,
    });

    // Assess
    expect(result.ok === false && result.issues).toEqual(
      expect.arrayContaining([
        { path: '/orderId', message: "must match ^ord-[0-9]+$ (got 'o 1')" },
        {
          path: '/placedAt',
          message: "must be an RFC 3339 date-time like 2024-05-01T12:00:00Z (got '2025-02-30T00:00:00Z')",
        },
        { path: '/total', message: 'must be an integer (got -1.5)' },
        { path: '/total', message: 'must be >= 0 (got -1.5)' },
        { path: '/channel', message: "must be one of 'web', 'store' (got 'fax')" },
        { path: '/sku', message: "must be in format sku (got 'x')" },
        { path: '/extra', message: 'is not an allowed property' },
      ]),
    );
  });

  it('reports a missing property at its own path', () => {
    // Act
    const result = orderSchema.validate({ orderId: 'ord-123456789012', total: 1 });

    // Assess
    expect(result.ok === false && result.issues).toEqual([
      { path: '/placedAt', message: 'is required' },
      { path: '/orderId', message: 'must have at most 12 characters (got 16)' },
    ]);
  });

  it('fails loudly on a schema ajv cannot compile', () => {
    // Act
    const act = (): unknown => createJsonSchemaEventSchema({ name: 'broken', schema: { type: 'strnig' } });

    // Assess
    expect(act).toThrow(SchemaCompileError);
    expect(act).toThrow(SchemaError);
    expect(act).toThrow(/broken does not compile/);
  });
});
