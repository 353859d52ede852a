"""The libvirt <interface> element of a VIF (what the driver would hand the hypervisor)."""

from xml.etree import ElementTree


def interface(mac, bridge, target, model='virtio', ovs_interfaceid=None, mtu=None):
    element = ElementTree.Element('interface', type='bridge')
    ElementTree.SubElement(element, 'mac', address=mac)
    ElementTree.SubElement(element, 'source', bridge=bridge)
    if ovs_interfaceid is not None:
        port = ElementTree.SubElement(element, 'virtualport', type='openvswitch')
        ElementTree.SubElement(port, 'parameters', interfaceid=ovs_interfaceid)
    ElementTree.SubElement(element, 'target', dev=target)
    ElementTree.SubElement(element, 'model', type=model)
    if mtu:
        ElementTree.SubElement(element, 'mtu', size=str(mtu))
    return ElementTree.tostring(element, encoding='unicode')
