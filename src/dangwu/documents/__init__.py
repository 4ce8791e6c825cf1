"""Outgoing official documents (发文): drafting, review, sign-off, numbering, distribution,
receipts (签收 / 办理 / 答复), reminders (催办), print view and PDF."""
