"""Sensors of the code location: alerts to on-call, and the AWS trigger queue."""
