"""Vapi phone numbers as Pulumi resources."""
