"""The cloud side: the OpenAI-compatible HTTP client (`client`, requests with retries and
streaming; it accepts only a scrubbed payload) and the API key in the OS keyring (`api_key`)."""
