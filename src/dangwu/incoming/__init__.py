"""Incoming documents (收文): registration, proposed handling, leader instruction,
assignment, circulation to leaders, completion."""
