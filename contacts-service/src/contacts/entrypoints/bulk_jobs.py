"""The bulk action job's handler."""

from __future__ import annotations

from typing import Any

from contacts.entrypoints.import_jobs import ImportJobs
from contacts.service_layer.bulk_handlers import RunBulkAction, run_bulk_action
from treue.jobs import JobContext, JobHandler


def bulk_job_handler(jobs: ImportJobs) -> JobHandler:
    """Runs a bulk action on the sessions the import jobs are bound to when the app starts."""

    async def handle(context: JobContext) -> dict[str, Any]:
        command = RunBulkAction(job_id=context.job.id, params=context.job.params)
        return await run_bulk_action(command, jobs.unit_of_work, context.report)

    return handle
