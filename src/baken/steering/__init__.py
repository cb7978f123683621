"""Steering: from GA I&V requirements to jaarplan, voortgang and the public jaarplanbrief."""
