from django.db import migrations


def forwards(apps, schema_editor):
    from partners.taxonomy_defaults import install

    install(apps)


class Migration(migrations.Migration):
    dependencies = [("partners", "0002_registry")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
