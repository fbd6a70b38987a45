# The moved table takes its own app's name, and its index a name of its own.

from django.db import migrations


def rename_content_type(apps, schema_editor):
    # Keep the content type (and any permission or right attached to it) instead of making a second one.
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if not ContentType.objects.filter(app_label='notifications', model='notification').exists():
        ContentType.objects.filter(app_label='parplan', model='notification').update(app_label='notifications')


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AlterModelTable(name='notification', table=None),
        migrations.RenameIndex(
            model_name='notification', new_name='notice_recipient_read_idx', old_name='parplan_not_recipie_00acc7_idx'
        ),
        migrations.RunPython(rename_content_type, migrations.RunPython.noop),
    ]
