"""What Nova loads through nova.conf: network API, managers and VIF drivers."""
