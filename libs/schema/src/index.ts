// The event schema, its validator and the seeded fixture generator.
