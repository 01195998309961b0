// Middy middleware for Kinesis batches.
