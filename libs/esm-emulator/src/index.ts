// Emulator of Lambda's Kinesis event source mapping.
