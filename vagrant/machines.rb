#!/usr/bin/env ruby
# Print the machines the Vagrantfile would define, as JSON (honours CLOUDKART_HOSTS and
# CLOUDKART_LAYOUT like the Vagrantfile): `ruby vagrant/machines.rb`.
require "json"
require_relative "cloudkart_layout"

layout_file = File.expand_path("../layout.yml", __dir__)
begin
  machines = CloudKartLayout.machines(layout_file, layout: ENV.fetch("CLOUDKART_LAYOUT", "cloudkart-12"),
                                                   only: ENV["CLOUDKART_HOSTS"])
rescue CloudKartLayout::Error => e
  warn e.message
  exit 1
end
puts JSON.pretty_generate(
  "machines" => machines.map(&:to_h_json),
  "total_memory_mb" => machines.sum(&:memory_mb),
  "total_cpus" => machines.sum(&:cpus)
)
