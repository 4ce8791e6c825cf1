"""Background work of the mail app, run by the worker (``dangwu db_worker``), never in a request."""

from django_tasks import task

from dangwu.messages import services


@task()
def send_notification_mails() -> int:
    """Mail the notifications waiting to go out one by one (queued by ``notify``)."""
    return services.send_notification_mails()
