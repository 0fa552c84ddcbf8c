from django_tasks import task

from samaki.reports.services import report_job_run


@task()
def run_report_job(job_id: int) -> None:
    report_job_run(job_id=job_id)
