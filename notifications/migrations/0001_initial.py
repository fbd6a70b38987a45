# The Notification model, moved from the parplan app: the state is created over
# the existing table parplan_notification (made by parplan 0003), which 0002 renames.

import django.db.models.deletion
import notifications.kinds
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('parplan', '0003_notifications'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=notifications.kinds.kind_choices, max_length=24, verbose_name='loại')),
                        ('message', models.CharField(max_length=500, verbose_name='nội dung')),
                        ('url', models.CharField(blank=True, max_length=300)),
                        ('subject_key', models.CharField(blank=True, max_length=60)),
                        ('day', models.DateField()),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('read_at', models.DateTimeField(blank=True, null=True)),
                        ('emailed_at', models.DateTimeField(blank=True, null=True)),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'thông báo',
                        'verbose_name_plural': 'thông báo',
                        'ordering': ['-created_at', '-pk'],
                        'db_table': 'parplan_notification',
                        'indexes': [models.Index(fields=['recipient', 'read_at'], name='parplan_not_recipie_00acc7_idx')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('subject_key', ''), _negated=True), fields=('recipient', 'kind', 'subject_key', 'day'), name='one_notice_per_subject_and_day')],
                    },
                ),
            ],
        ),
    ]
