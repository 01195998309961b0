// Kinesis record decoding: base64, gzip, KPL de-aggregation, JSON with limits.
