import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # Separate from 0002 so the data fill commits before the column is altered (PostgreSQL).
    dependencies = [("targets", "0002_indicators_engine")]

    operations = [
        migrations.AlterField(
            model_name="indicator",
            name="area",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="indicators",
                to="parplan.reformarea",
                verbose_name="lĩnh vực",
            ),
        ),
    ]
