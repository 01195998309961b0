import { buildIndexTemplate } from './indexTemplate';

describe('buildIndexTemplate', () => {
  it('covers the daily indices of its prefix with explicit mappings and an unmapped attributes object', () => {
    // Act
    const { name, body } = buildIndexTemplate('events');

    // Assess
    expect(name).toBe('events');
    expect(body.index_patterns).toEqual(['events-*']);
    expect(body.template.mappings.dynamic).toBe(false);
    expect(body.template.mappings.properties.data.properties.attributes).toEqual({
      type: 'object',
      enabled: false,
    });
    expect(body.template.mappings.properties.data.properties.revenueMicros.type).toBe('long');
  });

  it('ranks a longer prefix above a shorter one it extends, so their templates never tie', () => {
    // Act
    const short = buildIndexTemplate('events');
    const long = buildIndexTemplate('events-test');

    // Assess
    expect(long.body.priority).toBeGreaterThan(short.body.priority);
    expect(long.body._meta.hash).not.toBe(short.body._meta.hash);
  });
});
