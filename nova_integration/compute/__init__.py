"""A fake-virt compute host for the lab (``netmgr-compute``): instances are network
namespaces, plugged with the VIF drivers and addressed as Nova's guests would be."""
