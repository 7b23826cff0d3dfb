"""Give each existing centre the moderation workflow new centres get (see quartier.editors.set_up_review).

Its names are written out here rather than imported: a migration must keep doing what it did when it
was written, whatever the code becomes.
"""

from django.db import migrations


def workflow_name(group_name):
    return f"Relecture par {group_name}"


def set_up_reviews(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    CentreTeam = apps.get_model("quartier", "CentreTeam")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")

    teams = CentreTeam.objects.select_related("editors").exclude(centre_id__in=WorkflowPage.objects.values("page_id"))
    if not teams.exists():
        return
    # Wagtail's Task sets its own content type when it is created; historical models do not.
    task_type, _created = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    for team in teams:
        task = GroupApprovalTask.objects.create(name=team.editors.name, content_type=task_type, active=True)
        task.groups.add(team.editors)
        workflow = Workflow.objects.create(name=workflow_name(team.editors.name), active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.create(page_id=team.centre_id, workflow=workflow)


def remove_reviews(apps, schema_editor):
    """Unassign and delete the workflows set up above, found by their names."""
    CentreTeam = apps.get_model("quartier", "CentreTeam")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")

    for team in CentreTeam.objects.select_related("editors"):
        workflows = Workflow.objects.filter(
            workflow_pages__page_id=team.centre_id, name=workflow_name(team.editors.name)
        )
        GroupApprovalTask.objects.filter(workflow_tasks__workflow__in=workflows, name=team.editors.name).delete()
        workflows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("quartier", "0003_centrepage_sms_monthly_budget"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(set_up_reviews, remove_reviews)]
