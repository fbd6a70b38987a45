# The link from a task to the indicators its text states moves here from
# targets.Indicator.task (removed by targets 0004, which runs after this copy).

import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    Indicator = apps.get_model('targets', 'Indicator')
    TaskIndicator = apps.get_model('tasks', 'TaskIndicator')
    TaskIndicator.objects.bulk_create(
        TaskIndicator(task_id=task_id, indicator_id=pk)
        for pk, task_id in Indicator.objects.filter(task__isnull=False).values_list('pk', 'task_id')
    )


def copy_links_back(apps, schema_editor):
    Indicator = apps.get_model('targets', 'Indicator')
    TaskIndicator = apps.get_model('tasks', 'TaskIndicator')
    for link in TaskIndicator.objects.all():
        Indicator.objects.filter(pk=link.indicator_id).update(task_id=link.task_id)


class Migration(migrations.Migration):

    dependencies = [
        ('targets', '0003_indicator_area_required'),
        ('tasks', '0002_workflow'),
    ]

    operations = [
        migrations.CreateModel(
            name='TaskIndicator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('indicator', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='stated_in', to='targets.indicator')),
                ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stated_indicators', to='tasks.task')),
            ],
            options={
                'verbose_name': 'chỉ số nêu trong nhiệm vụ',
                'verbose_name_plural': 'chỉ số nêu trong nhiệm vụ',
            },
        ),
        migrations.AddField(
            model_name='task',
            name='indicators',
            field=models.ManyToManyField(blank=True, related_name='stating_tasks', through='tasks.TaskIndicator', to='targets.indicator', verbose_name='chỉ số nêu trong nhiệm vụ'),
        ),
        migrations.RunPython(copy_links, copy_links_back),
    ]
