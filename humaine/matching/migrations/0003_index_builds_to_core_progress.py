# Index rebuilds report in core.Progress now (kind "matching.rebuild"); earlier rebuilds
# keep their ids, so a client polling /api/v1/matching/rebuild/<id> still finds them.

from django.db import migrations


def copy_builds(apps, schema_editor):
    IndexBuild = apps.get_model("matching", "IndexBuild")
    Progress = apps.get_model("core", "Progress")
    for build in IndexBuild.objects.all():
        Progress.objects.create(
            pk=build.pk,
            kind="matching.rebuild",
            requested_by_id=build.requested_by_id,
            status=build.status,
            total=build.total,
            done=build.done,
            message=build.message,
            details={
                "force": build.force,
                "counts": {"embedded": build.embedded, "removed": build.removed},
            },
            created_at=build.created_at,
            started_at=build.started_at,
            finished_at=build.finished_at,
        )
    if IndexBuild.objects.exists() and schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('core_progress', 'id'), "
                "(SELECT MAX(id) FROM core_progress))"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0002_relationships_overrides_team_settings"),
        ("core", "0006_progress"),
    ]

    operations = [
        migrations.RunPython(copy_builds, migrations.RunPython.noop),
        migrations.DeleteModel(name="IndexBuild"),
    ]
