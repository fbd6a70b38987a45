"""Recommendations follow the completion workflow shared with tasks (parplan.workflow): "answered" is now "claimed"."""

from collections.abc import Callable

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

STATES = [
    ("open", "Đơn vị đang thực hiện"),
    ("claimed", "Đơn vị đã báo cáo, chờ xác nhận"),
    ("confirmed", "Đã xác nhận hoàn thành"),
]


def _rename(old: str, new: str) -> Callable[[Apps, BaseDatabaseSchemaEditor], None]:
    def rename(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        for name in ("Recommendation", "HistoricalRecommendation"):
            apps.get_model("inspections", name).objects.filter(state=old).update(state=new)

    return rename


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalrecommendation",
            name="state",
            field=models.CharField(choices=STATES, default="open", max_length=10, verbose_name="trạng thái"),
        ),
        migrations.AlterField(
            model_name="recommendation",
            name="state",
            field=models.CharField(choices=STATES, default="open", max_length=10, verbose_name="trạng thái"),
        ),
        migrations.RunPython(_rename("answered", "claimed"), _rename("claimed", "answered")),
    ]
