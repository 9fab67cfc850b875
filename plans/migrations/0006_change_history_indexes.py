# The admin's history at millions of entries: an index for its default order and date filters,
# and one for its channel filter (see Change.Meta.indexes).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0005_agency_code_alphabet"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="change",
            index=models.Index(fields=["-changed_at", "-id"], name="change_changed_at"),
        ),
        migrations.AddIndex(
            model_name="change",
            index=models.Index(
                fields=["channel", "-changed_at", "-id"], name="change_channel_changed_at"
            ),
        ),
    ]
