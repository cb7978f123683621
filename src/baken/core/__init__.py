"""The core: configuration, storage, markings, principals, policy, audit and i18n."""
