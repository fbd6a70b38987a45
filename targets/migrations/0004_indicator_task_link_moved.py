# Indicator.task goes: tasks 0003 copied the links into tasks.TaskIndicator.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('targets', '0003_indicator_area_required'),
        ('tasks', '0003_task_indicators'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='indicator',
            name='one_indicator_position_per_task',
        ),
        migrations.RemoveField(
            model_name='historicalindicator',
            name='task',
        ),
        migrations.RemoveField(
            model_name='indicator',
            name='task',
        ),
    ]
