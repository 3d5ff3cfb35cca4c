#!/usr/bin/env ruby
# The machines the Vagrantfile defines (honours CLOUDKART_HOSTS and CLOUDKART_LAYOUT like it), as JSON:
#   ruby vagrant/machines.rb               # machines with size, memory, CPUs, and the totals
#   ruby vagrant/machines.rb --inventory   # services/deploy/inventory.py's format, for grading
# The inventory reaches each VM as `vagrant ssh` does, through var/vagrant/ssh_config
# (write it with `vagrant ssh-config > var/vagrant/ssh_config`).
require "json"
require_relative "cloudkart_layout"

root = File.expand_path("..", __dir__)
layout = ENV.fetch("CLOUDKART_LAYOUT", "cloudkart-12")
begin
  machines = CloudKartLayout.machines(File.join(root, "layout.yml"), layout: layout, only: ENV["CLOUDKART_HOSTS"])
rescue CloudKartLayout::Error => e
  warn e.message
  exit 1
end

if ARGV.include?("--inventory")
  puts JSON.pretty_generate(
    "layout" => layout,
    "source" => "vagrant",
    "ssh_config" => File.join(root, "var", "vagrant", "ssh_config"),
    "hosts" => machines.map do |m|
      { "name" => m.name, "roles" => m.roles, "address" => m.address,
        "public_address" => m.public ? m.address : nil, "connection" => "ssh://vagrant@#{m.name}" }
    end
  )
else
  puts JSON.pretty_generate(
    "machines" => machines.map(&:to_h_json),
    "total_memory_mb" => machines.sum(&:memory_mb),
    "total_cpus" => machines.sum(&:cpus)
  )
end
