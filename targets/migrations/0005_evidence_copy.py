# Figure evidence moves to evidence.Evidence, the one evidence model; 0006 drops
# the old tables. Rows keep their ids, so their history (copied too) still points
# at them; stored file names are kept, so no file moves on disk.
# tasks 0004 copies the task reports' evidence after this one, with new ids.

from django.db import migrations

FIELDS = ('file', 'original_name', 'size', 'uploaded_by_id', 'uploaded_at')
HISTORY_FIELDS = ('id', *FIELDS, 'history_date', 'history_change_reason', 'history_type', 'history_user_id')


def continue_ids_after(schema_editor, model, top):
    """The next id the database gives `model` is above `top` (ids were written here by hand)."""
    if not top:
        return
    connection = schema_editor.connection
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == 'postgresql':
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, top])
        elif connection.vendor == 'sqlite':
            # AUTOINCREMENT tables keep their high-water mark here.
            cursor.execute('UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s', [top, table])
            if cursor.rowcount == 0:
                cursor.execute('INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)', [table, top])
        else:
            # Elsewhere Django's own reset: above the live rows (not above ids only the history remembers).
            from django.core.management.color import no_style

            for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(sql)


def top_id(*querysets):
    # Ids only the history remembers (deleted evidence) are not given again either.
    return max((qs.order_by('-id').values_list('id', flat=True).first() or 0) for qs in querysets)


def renamed(row, old, new):
    row[new] = row.pop(old)
    return row


def copy_evidence(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    Old = apps.get_model('targets', 'Evidence')
    OldHistory = apps.get_model('targets', 'HistoricalEvidence')
    New = apps.get_model('evidence', 'Evidence')
    NewHistory = apps.get_model('evidence', 'HistoricalEvidence')
    if not Old.objects.exists() and not OldHistory.objects.exists():
        return
    # On a new database content types are only created after every migration has run.
    owner_type, _ = ContentType.objects.get_or_create(app_label='targets', model='measurement')
    New.objects.bulk_create(
        [
            New(owner_type=owner_type, **renamed(row, 'measurement_id', 'owner_id'))
            for row in Old.objects.order_by('id').values('id', 'measurement_id', *FIELDS)
        ],
        batch_size=500,
    )
    # In their own order, so the new history ids sort them the same way.
    NewHistory.objects.bulk_create(
        [
            NewHistory(owner_type=owner_type, **renamed(row, 'measurement_id', 'owner_id'))
            for row in OldHistory.objects.order_by('history_id').values('measurement_id', *HISTORY_FIELDS)
        ],
        batch_size=500,
    )
    continue_ids_after(schema_editor, New, top_id(Old.objects.all(), OldHistory.objects.all()))


def copy_evidence_back(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    Old = apps.get_model('targets', 'Evidence')
    OldHistory = apps.get_model('targets', 'HistoricalEvidence')
    New = apps.get_model('evidence', 'Evidence')
    NewHistory = apps.get_model('evidence', 'HistoricalEvidence')
    owner_type = ContentType.objects.filter(app_label='targets', model='measurement').first()
    if owner_type is None:
        return
    rows = New.objects.filter(owner_type=owner_type)
    history = NewHistory.objects.filter(owner_type=owner_type)
    old = [Old(**renamed(row, 'owner_id', 'measurement_id')) for row in rows.order_by('id').values('id', 'owner_id', *FIELDS)]
    stamps = [evidence.uploaded_at for evidence in old]
    Old.objects.bulk_create(old, batch_size=500)
    # uploaded_at is auto_now_add on the old model: the insert stamped it with now.
    for evidence, stamp in zip(old, stamps):
        evidence.uploaded_at = stamp
    Old.objects.bulk_update(old, ['uploaded_at'], batch_size=500)
    OldHistory.objects.bulk_create(
        [
            OldHistory(**renamed(row, 'owner_id', 'measurement_id'))
            for row in history.order_by('history_id').values('owner_id', *HISTORY_FIELDS)
        ],
        batch_size=500,
    )
    continue_ids_after(schema_editor, Old, top_id(rows, history))
    history.delete()
    rows.delete()


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('evidence', '0001_initial'),
        ('targets', '0004_indicator_task_link_moved'),
    ]

    operations = [
        migrations.RunPython(copy_evidence, copy_evidence_back),
    ]
