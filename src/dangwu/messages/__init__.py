"""Internal mail (站内信), the notification centre and e-mail delivery (with a daily digest)."""
