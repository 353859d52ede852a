"""VIF drivers: plug an instance's interface into the host's network (Nova's libvirt
vif_driver role), and render the libvirt <interface> the hypervisor would be given."""
