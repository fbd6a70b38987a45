"""An index for "who holds a right on this object", which django-guardian 3 no longer has.

Assigning a task asks it three times (parplan.services.object_rights_sync). Without
the index each question scanned every right of the permission, so a plan's import
slowed with every task it had already assigned (quadratic: 15 ms a question after a
few hundred tasks). Raw SQL: the table is guardian's, its model is not ours to change.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("parplan", "0010_job_outbox"),
        ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS parplan_gop_object_idx "
            "ON guardian_groupobjectpermission (content_type_id, object_pk)",
            "DROP INDEX IF EXISTS parplan_gop_object_idx",
        ),
    ]
