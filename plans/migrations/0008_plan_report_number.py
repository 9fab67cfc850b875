# The printed report's own number ("Số: 15/BC-BCĐ"); blank leaves dots to fill in by hand.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0007_change_plan_backfill"),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="report_number",
            field=models.CharField(
                blank=True,
                help_text=(
                    "Số của báo cáo in, ví dụ: 15/BC-BCĐ. "
                    "Để trống thì báo cáo in chừa chỗ để điền tay."
                ),
                max_length=60,
                verbose_name="số báo cáo",
            ),
        ),
    ]
