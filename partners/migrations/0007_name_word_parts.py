"""The inner parts of the names' long words go into the partner search vector (SQL function praevnet_word_parts).

A generated column cannot change its expression: the column and its GIN index are dropped and built again.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

import partners.models

WORD_PARTS = r"""
CREATE OR REPLACE FUNCTION praevnet_word_parts(value text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_tsvector('german', coalesce(string_agg(substr(word, start), ' '), ''))
  FROM regexp_split_to_table(lower(coalesce(value, '')), '[^[:alpha:]]+') AS word,
       generate_series(2, length(word) - 3) AS start
  WHERE length(word) >= 8
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0006_offer_title_index"),
    ]

    operations = [
        migrations.RunSQL(WORD_PARTS, reverse_sql=migrations.RunSQL.noop),
        migrations.RemoveIndex(model_name="partner", name="partner_search_gin"),
        migrations.RemoveField(model_name="partner", name="search_vector"),
        migrations.AddField(
            model_name="partner",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.SearchVector("name", config="german", weight="A")
                + django.contrib.postgres.search.SearchVector("traeger", "city", config="german", weight="B")
                + django.contrib.postgres.search.SearchVector("description", config="german", weight="C")
                + partners.models.WordParts("name"),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="partner",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="partner_search_gin"),
        ),
    ]
