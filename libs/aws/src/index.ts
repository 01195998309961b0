// AWS client factory and environment configuration.
