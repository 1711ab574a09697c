"""Where the specification points: behave's -D first, then the environment; a started stack's addresses alone."""

from support.scenario.config import SpecConfig


def test_userdata_comes_before_the_environment(monkeypatch):
    monkeypatch.setenv("PLATFORM_URL", "http://from-the-environment")
    monkeypatch.setenv("PLATFORM_ADMIN_KEY", "admin-from-the-environment")
    config = SpecConfig.from_sources({"target": "http://from-userdata", "token_secret": "s"})
    assert (config.platform_url, config.admin_key, config.token_secret) == (
        "http://from-userdata",
        "admin-from-the-environment",
        "s",
    )


def test_a_stacks_addresses_ignore_the_process_environment(monkeypatch):
    monkeypatch.setenv("MODEL_URL", "http://not-the-stacks")
    config = SpecConfig.of({"PLATFORM_URL": "http://a", "PLATFORM_URLS": "http://a,http://b"})
    assert config.instance_urls == ["http://a", "http://b"]
    assert config.model_url is None


def test_one_instance_when_no_list_is_given_and_the_environment_round_trips():
    config = SpecConfig.of({"PLATFORM_URL": "http://a", "PLATFORM_ADMIN_KEY": "k"})
    assert config.instance_urls == ["http://a"]
    assert config.as_environment() == {"PLATFORM_URL": "http://a", "PLATFORM_ADMIN_KEY": "k"}
