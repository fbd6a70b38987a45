# Progress reports' evidence moves to evidence.Evidence, the one evidence model;
# 0005 drops the old table. Stored file names are kept, so no file moves on disk.
# The old rows knew neither uploader nor time: the files came with their report,
# in the same request, so the report's author and time are theirs. They had no
# history, so none is made up for them.

from django.db import migrations


def copy_evidence(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    Old = apps.get_model('tasks', 'ReportEvidence')
    New = apps.get_model('evidence', 'Evidence')
    if not Old.objects.exists():
        return
    # On a new database content types are only created after every migration has run.
    owner_type, _ = ContentType.objects.get_or_create(app_label='tasks', model='progressreport')
    rows = Old.objects.order_by('id').values(
        'report_id', 'file', 'original_name', 'size', 'report__author_id', 'report__created_at'
    )
    New.objects.bulk_create(
        [
            New(
                owner_type=owner_type, owner_id=row['report_id'], file=row['file'],
                original_name=row['original_name'], size=row['size'], uploaded_by_id=row['report__author_id'],
                uploaded_at=row['report__created_at'],
            )
            for row in rows
        ],
        batch_size=500,
    )


def copy_evidence_back(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    Old = apps.get_model('tasks', 'ReportEvidence')
    New = apps.get_model('evidence', 'Evidence')
    NewHistory = apps.get_model('evidence', 'HistoricalEvidence')
    owner_type = ContentType.objects.filter(app_label='tasks', model='progressreport').first()
    if owner_type is None:
        return
    rows = New.objects.filter(owner_type=owner_type)
    # Uploader, time and history have no place in the old table: they are lost going back.
    Old.objects.bulk_create(
        [
            Old(report_id=row['owner_id'], file=row['file'], original_name=row['original_name'], size=row['size'])
            for row in rows.order_by('id').values('owner_id', 'file', 'original_name', 'size')
        ],
        batch_size=500,
    )
    NewHistory.objects.filter(owner_type=owner_type).delete()
    rows.delete()


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('evidence', '0001_initial'),
        # Figure evidence keeps its ids (its history names them): it is copied first, these get the next ones.
        ('targets', '0005_evidence_copy'),
        ('tasks', '0003_task_indicators'),
    ]

    operations = [
        migrations.RunPython(copy_evidence, copy_evidence_back),
    ]
