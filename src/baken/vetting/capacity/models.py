"""Tables of vetting (capacity): none yet; scenarios are computed on request."""
