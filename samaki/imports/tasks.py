from django_tasks import task

from samaki.imports.services import import_run


@task()
def run_import(job_id: int) -> None:
    import_run(job_id=job_id)
