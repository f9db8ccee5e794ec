"""Evaluation harness: run the local model and a cloud endpoint over labelled sets, measure how
well confidence predicts correctness, and what the cascade buys per cloud call."""
