"""The turn pipeline: the stages `edgeapp.assistant.Assistant` runs for each message."""
