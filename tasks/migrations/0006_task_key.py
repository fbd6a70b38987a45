import uuid

from django.db import migrations, models

import tasks.models


def give_each_task_its_own_key(apps, schema_editor):
    # AddField filled every row with one value of the default: draw a key per task,
    # and give the task's history rows the same key so they read as one task.
    Task = apps.get_model("tasks", "Task")
    HistoricalTask = apps.get_model("tasks", "HistoricalTask")
    for pk in Task.objects.values_list("pk", flat=True):
        key = uuid.uuid4().hex[:12]
        Task.objects.filter(pk=pk).update(key=key)
        HistoricalTask.objects.filter(id=pk).update(key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0005_delete_reportevidence"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicaltask",
            name="key",
            field=models.SlugField(
                default=tasks.models.new_task_key, editable=False, max_length=40, verbose_name="mã nhiệm vụ"
            ),
        ),
        migrations.AddField(
            model_name="task",
            name="key",
            field=models.SlugField(
                default=tasks.models.new_task_key, editable=False, max_length=40, verbose_name="mã nhiệm vụ"
            ),
        ),
        migrations.RunPython(give_each_task_its_own_key, migrations.RunPython.noop),
    ]
