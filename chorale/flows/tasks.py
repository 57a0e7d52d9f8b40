from django.tasks import task

from chorale.core.tracing import traced


@task()
@traced
def process_flow(flow_id: int) -> None:
    """Process a deposited flow; safe to run again (the rows say what is done)."""
    from .processing import flow_process

    flow_process(flow_id)
