"""The system configuration is one row, made with defaults on first read and
read through a cache that whoever saves the row clears."""

from __future__ import annotations

import pytest

from ops.config import forget_config, get_config
from ops.models import SystemConfig

pytestmark = pytest.mark.django_db


def test_the_first_read_creates_the_one_row_with_defaults():
    assert not SystemConfig.objects.exists()

    config = get_config()

    assert config.pk == 1
    assert (config.off_scope_max, config.passphrase_max_attempts, config.csv_max_rows) == (3, 3, 500)
    assert SystemConfig.objects.count() == 1


def test_saving_a_new_instance_replaces_the_one_row():
    SystemConfig(off_scope_max=5).save()
    SystemConfig(off_scope_max=6).save()

    assert list(SystemConfig.objects.values_list("pk", "off_scope_max")) == [(1, 6)]


def test_a_saved_change_is_read_once_the_cached_copy_is_forgotten(django_assert_num_queries):
    get_config()
    SystemConfig.objects.filter(pk=1).update(off_scope_max=9)

    with django_assert_num_queries(0):
        assert get_config().off_scope_max == 3
    forget_config()

    assert get_config().off_scope_max == 9
