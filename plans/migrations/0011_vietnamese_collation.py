"""The Vietnamese collation the admin's lists order by, on PostgreSQL.

initdb imports ICU's collations into pg_catalog (``vi-x-icu`` among them) when the server is
built with ICU, as Debian's is; a cluster made without them gets the same collation here. SQLite
gets it on every connection instead (plans.apps), so this does nothing there.
"""

from django.db import migrations


def create_collation(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'vi-x-icu'")
        if cursor.fetchone() is None:
            cursor.execute('CREATE COLLATION "vi-x-icu" (provider = icu, locale = \'vi\')')


class Migration(migrations.Migration):
    dependencies = [("plans", "0010_reporting_cycle")]

    operations = [migrations.RunPython(create_collation, migrations.RunPython.noop)]
