# The Notification model moved to the notifications app; its table stays and is
# renamed there (notifications 0002). Only Django's state changes here.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('parplan', '0003_notifications'),
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Notification')],
            database_operations=[],
        ),
    ]
