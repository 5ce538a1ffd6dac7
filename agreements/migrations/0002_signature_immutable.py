"""Signature rows are evidence: the database refuses to change or delete them, whatever the application does."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION agreements_signature_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Unterschriften dürfen weder geändert noch gelöscht werden (%).', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER agreements_signature_immutable
    BEFORE UPDATE OR DELETE ON agreements_signature
    FOR EACH ROW EXECUTE FUNCTION agreements_signature_immutable();
"""

REVERSE = """
DROP TRIGGER IF EXISTS agreements_signature_immutable ON agreements_signature;
DROP FUNCTION IF EXISTS agreements_signature_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
